import type { IntegrationConfiguration } from "./configuration";
import type { ConfigurationStore } from "./configuration-store";
import { demoDestination, demoIntegrations } from "./demo-county";

const pdfAndImages = ["application/pdf", "image/png", "image/jpeg"];
const MB = 1024 * 1024;

/** Offentleglova § 13 with forvaltningsloven § 13: personal matters, the usual screening for pupils and staff. */
const personalScreening = { tilgangsrestriksjon: "13", skjermingshjemmel: "Offl. § 13, jf. fvl. § 13" };

function configuration(
  archiveDefaults: IntegrationConfiguration["archiveDefaults"],
  caseMode: IntegrationConfiguration["caseMode"],
  allowedMimeTypes: string[] = pdfAndImages,
): IntegrationConfiguration {
  return {
    destinationId: demoDestination.id,
    archiveDefaults: { journalstatus: "J", dokumentstatus: "F", saksstatus: "B", ...archiveDefaults },
    // The county decides the archive section; a source system cannot file into one of its own choosing.
    fixedFields: ["arkivdel"],
    caseMode,
    caseAccess: { scope: "OWN_CASES" },
    documentRules: { allowedMimeTypes, maxFileBytes: 100 * MB, exactlyOneMainDocument: true },
    valueConversions: { journalstatus: { ferdig: "J", reservert: "R", utkast: "S" } },
  };
}

/** Plausible configurations of the demo county's integrations, by source application (or integration). */
const demoConfigurations: Record<string, IntegrationConfiguration> = {
  "egrunnerverv-sak": configuration(
    {
      arkivdel: "EIENDOM",
      administrativEnhet: "SAMFERDSEL",
      saksmappetype: "SAK",
      tilgangsgruppe: "Eiendom",
    },
    { mode: "NEW" },
  ),
  "egrunnerverv-journalpost": configuration(
    { arkivdel: "EIENDOM", administrativEnhet: "SAMFERDSEL", tilgangsgruppe: "Eiendom" },
    { mode: "BY_ID" },
  ),
  hmsreg: configuration(
    {
      arkivdel: "SAK",
      administrativEnhet: "INNKJOP",
      klassering: [{ ordningsprinsipp: "ORGNR", ordningsverdi: "-" }],
    },
    { mode: "BY_SEARCH_OR_NEW", searchCriteria: ["arkivdel", "klassering"] },
  ),
  "acos-interact": configuration(
    { arkivdel: "SAK", administrativEnhet: "SERVICETORG", journalenhet: "SENTRAL" },
    { mode: "NEW" },
  ),
  altinn: configuration({ arkivdel: "SAK", administrativEnhet: "SAMFERDSEL" }, { mode: "NEW" }, [
    "application/pdf",
    "application/xml",
  ]),
  vigo: configuration(
    {
      arkivdel: "ELEV",
      administrativEnhet: "OPPLAERING",
      tilgangsgruppe: "Elev",
      skjerming: personalScreening,
      saksmappetype: "ELEVMAPPE",
    },
    { mode: "BY_SEARCH_OR_NEW", searchCriteria: ["arkivdel", "klassering"] },
  ),
  "isy-graving": configuration(
    {
      arkivdel: "SAK",
      administrativEnhet: "VEG",
      klassering: [{ ordningsprinsipp: "EMNE", ordningsverdi: "Q12" }],
    },
    { mode: "NEW" },
  ),
  digisak: configuration({ arkivdel: "SAK", administrativEnhet: "KULTURARV" }, { mode: "NEW" }),
  "eltele-serit": configuration(
    { arkivdel: "SAK", administrativEnhet: "SAMFERDSEL", skjerming: personalScreening },
    { mode: "NEW" },
  ),
};

/**
 * Gives every demo integration with neither an active configuration nor a draft one: version 1, completed by `demo-seed` and
 * activated. Running it again changes nothing. Returns how many it activated.
 */
export async function seedDemoConfigurations(configurations: ConfigurationStore): Promise<number> {
  let activated = 0;
  for (const integration of demoIntegrations) {
    const { tenantId, integrationId, sourceApplicationId } = integration;
    // An active configuration or someone's draft is left as it is.
    if (await configurations.active(tenantId, integrationId)) continue;
    if (await configurations.draft(tenantId, integrationId)) continue;
    const content = demoConfigurations[integrationId] ?? demoConfigurations[sourceApplicationId];
    if (!content) throw new Error(`no demo configuration for ${integrationId}`);
    const saved = await configurations.saveDraft(tenantId, integrationId, content);
    if (saved.outcome !== "saved")
      throw new Error(`demo configuration of ${integrationId}: ${JSON.stringify(saved)}`);
    const completed = await configurations.completeDraft(tenantId, integrationId, "demo-seed");
    if (completed.outcome !== "completed") throw new Error(`no draft to complete for ${integrationId}`);
    await configurations.activate(tenantId, integrationId, completed.version);
    activated += 1;
  }
  return activated;
}
