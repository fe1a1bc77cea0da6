import type { Arkivsak, FileReference, Journalpost, SubmissionReceived } from "@flyt/schemas";
import type { Caller } from "./caller";

/** A case or journal-posts body as the contract defines it (already structurally valid). */
export interface SubmittedBody {
  readonly integrationId: string;
  readonly sourceInstanceId: string;
  readonly case?: Record<string, unknown>;
  readonly journalPosts?: readonly Record<string, unknown>[];
}

export interface ReceivedEventInput {
  readonly submissionId: string;
  readonly caller: Caller;
  readonly body: SubmittedBody;
  readonly caseRef: string | null;
  /** The stored file of every document, by journal post and document index. */
  readonly files: readonly (readonly FileReference[])[];
  readonly eventId: string;
  readonly correlationId: string;
  readonly now: Date;
  /**
   * When the submission was received: its intake row's creation, the same for every publish of it, so the time of
   * RECEIVED that polling shows before the status projection has the event is the time it shows after.
   */
  readonly receivedAt: Date;
}

/** The `flyt.submission.received.v1` event of an accepted submission. */
export function receivedEvent(input: ReceivedEventInput): SubmissionReceived {
  const { body } = input;
  return {
    meta: {
      eventId: input.eventId,
      occurredAt: input.now,
      correlationId: input.correlationId,
      producer: "gateway",
    },
    submission: {
      id: input.submissionId,
      tenant: input.caller.tenantId,
      sourceApplication: input.caller.sourceApplicationId,
      integrationId: body.integrationId,
      sourceInstanceId: body.sourceInstanceId,
      kind: body.case ? "CASE" : "JOURNAL_POSTS",
      // Operator retries publish the stored event again as the next run.
      run: 1,
    },
    caseRef: input.caseRef,
    case: body.case ? arkivsak(body.case) : null,
    journalPosts: (body.journalPosts ?? []).map((post, j) => journalpost(post, input.files[j] ?? [])),
    receivedAt: input.receivedAt,
  };
}

const text = (value: unknown): string | null => (typeof value === "string" ? value : null);
const list = (value: unknown): Record<string, unknown>[] => (Array.isArray(value) ? value : []);

function skjerming(value: unknown) {
  const screening = value as Record<string, unknown> | undefined;
  return screening
    ? {
        tilgangsrestriksjon: String(screening.tilgangsrestriksjon),
        skjermingshjemmel: String(screening.skjermingshjemmel),
      }
    : null;
}

function arkivsak(value: Record<string, unknown>): Arkivsak {
  return {
    tittel: String(value.tittel),
    offentligTittel: text(value.offentligTittel),
    saksansvarlig: text(value.saksansvarlig),
    administrativEnhet: text(value.administrativEnhet),
    arkivdel: text(value.arkivdel),
    journalenhet: text(value.journalenhet),
    saksmappetype: text(value.saksmappetype),
    saksstatus: text(value.saksstatus),
    tilgangsgruppe: text(value.tilgangsgruppe),
    klassering: list(value.klassering).map((k) => ({
      ordningsprinsipp: String(k.ordningsprinsipp),
      ordningsverdi: String(k.ordningsverdi),
      beskrivelse: text(k.beskrivelse),
    })),
    part: list(value.part).map((p) => ({
      navn: String(p.navn),
      rolle: text(p.rolle),
      organisasjonsnummer: text(p.organisasjonsnummer),
    })),
    skjerming: skjerming(value.skjerming),
  };
}

function journalpost(value: Record<string, unknown>, files: readonly FileReference[]): Journalpost {
  return {
    tittel: String(value.tittel),
    offentligTittel: text(value.offentligTittel),
    journalposttype: value.journalposttype as Journalpost["journalposttype"],
    dokumentdato: text(value.dokumentdato),
    journalstatus: text(value.journalstatus),
    saksbehandler: text(value.saksbehandler),
    administrativEnhet: text(value.administrativEnhet),
    journalenhet: text(value.journalenhet),
    skjerming: skjerming(value.skjerming),
    korrespondansepart: list(value.korrespondansepart).map((k) => {
      const address = k.postadresse as Record<string, unknown> | undefined;
      return {
        korrespondanseparttype: String(k.korrespondanseparttype),
        navn: String(k.navn),
        organisasjonsnummer: text(k.organisasjonsnummer),
        postadresse: address
          ? {
              adresselinje: list(address.adresselinje).map(String),
              postnummer: text(address.postnummer),
              poststed: text(address.poststed),
            }
          : null,
        epost: text(k.epost),
      };
    }),
    dokumenter: list(value.dokumenter).map((d, i) => {
      const file = files[i];
      if (!file) throw new Error(`no stored file for document ${i}`);
      return {
        tittel: String(d.tittel),
        tilknyttetRegistreringSom: d.tilknyttetRegistreringSom as "H" | "V",
        file,
      };
    }),
  };
}
