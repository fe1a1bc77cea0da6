import type { ArchiveDestination, Integration, OAuthClient, SourceApplication, Tenant } from "./model";
import type { RegistryStore } from "./registry-store";

/**
 * The demo county of local runs and demos: every source application and integration that exists today
 * (`domain.md`), archiving into the simulated archive, with a "test" OAuth client per source application.
 */
export const demoTenant: Tenant = { id: "demo", name: "Demo fylkeskommune", organisationNumber: null };

export const demoDestination: ArchiveDestination = {
  id: "demo-simulator",
  tenantId: "demo",
  name: "Simulated archive (demo)",
  driver: "SIMULATOR",
};

const catalogue: {
  application: SourceApplication;
  integrations: [id: string, name: string, active: boolean][];
}[] = [
  {
    application: { id: "egrunnerverv", name: "eGrunnerverv", vendor: null },
    integrations: [
      ["egrunnerverv-sak", "Arkivsak", true],
      ["egrunnerverv-journalpost", "Journalpost", true],
    ],
  },
  {
    application: { id: "hmsreg", name: "HMSReg", vendor: null },
    integrations: [["hmsreg-arkivering", "Arkivering", true]],
  },
  {
    application: { id: "acos-interact", name: "ACOS Interact", vendor: null },
    integrations: [["acos-skjematjenesten", "Skjematjenesten", true]],
  },
  {
    application: { id: "altinn", name: "Altinn", vendor: null },
    integrations: [
      ["altinn-drosjesentral", "Søknad om å drive drosjesentral", false],
      ["altinn-drosjeloyve", "Søknad drosjeløyve", false],
    ],
  },
  {
    application: { id: "vigo", name: "VIGO", vendor: null },
    integrations: [
      ["vigo-soknad-til-arkivet", "Søknad til arkivet", true],
      ["vigo-proveoppmelding", "Prøveoppmelding til arkivering", true],
      ["vigo-ny-soker", "Ny søker", true],
      ["vigo-signert-proveprotokoll", "Signert prøveprotokoll til arkivering", true],
      ["vigo-fagopplaeringskontrakt", "Fagopplæringskontrakt til arkivering", true],
      ["vigo-kontraktsvedlegg", "Kontraktsvedlegg til arkivering", true],
      ["vigo-vedlegg-proveoppmelding", "Vedlegg til prøveoppmelding og protokoll", true],
      ["vigo-fagdokumentasjon", "Fagdokumentasjon, vitnemål og kompetansebevis", true],
      ["vigo-formidling-av-laerling", "Formidling av lærling", true],
      ["vigo-kontraktsendring-soknad", "Søknad om kontraktsendring fra bedrift", true],
      ["vigo-kontraktsendring-vedtak", "Fylkets vedtak om kontraktsendring", true],
      ["vigo-proveoppmelding-provenemnd", "Prøveoppmelding til prøvenemnd", true],
      ["vigo-tilbud-om-skoleplass", "Tilbud om skoleplass", true],
      ["vigo-svar-pa-soknad", "Svar på søknad", true],
      ["vigo-ot-journal", "OT journal", true],
    ],
  },
  {
    application: { id: "isy-graving", name: "ISY Graving", vendor: null },
    integrations: [["isy-graving-gravetillatelse", "Gravetillatelser", false]],
  },
  {
    application: { id: "digisak", name: "Digisak", vendor: null },
    integrations: [
      ["digisak-fartoyvern", "Fartøyvern", false],
      ["digisak-tilskudd-freda-bygninger", "Tilskudd til freda bygninger i privat eie", false],
    ],
  },
  {
    application: { id: "eltele-serit", name: "Eltele Serit", vendor: null },
    integrations: [["eltele-fskyss", "FSkyss", false]],
  },
];

export const demoSourceApplications: SourceApplication[] = catalogue.map((entry) => entry.application);

export const demoIntegrations: Integration[] = catalogue.flatMap(({ application, integrations }) =>
  integrations.map(([integrationId, name, active]) => ({
    tenantId: demoTenant.id,
    integrationId,
    sourceApplicationId: application.id,
    name,
    state: active ? ("ACTIVE" as const) : ("IN_DEVELOPMENT" as const),
  })),
);

/** One client per source application in the test environment: `demo-<source application>-test`. */
export const demoClients: Omit<OAuthClient, "revokedAt">[] = demoSourceApplications.map((application) => ({
  clientId: `demo-${application.id}-test`,
  tenantId: demoTenant.id,
  sourceApplicationId: application.id,
  environment: "test",
  description: `Demo client of ${application.name}`,
}));

/** Adds whatever of the demo county is missing; running it again changes nothing. */
export async function seedDemoCounty(store: RegistryStore): Promise<{ created: number }> {
  const outcomes = [
    await store.addTenant(demoTenant),
    await store.addDestination(demoDestination),
    ...(await Promise.all(
      demoSourceApplications.map((application) => store.addSourceApplication(application)),
    )),
  ];
  outcomes.push(...(await Promise.all(demoClients.map((client) => store.addClient(client)))));
  outcomes.push(
    ...(await Promise.all(demoIntegrations.map((integration) => store.addIntegration(integration)))),
  );
  const failed = outcomes.filter((outcome) => outcome.outcome !== "created" && outcome.outcome !== "exists");
  if (failed.length > 0) throw new Error(`demo seed failed: ${JSON.stringify(failed)}`);
  return { created: outcomes.filter((outcome) => outcome.outcome === "created").length };
}
