/**
 * What differs between FINT arkiv installations, per destination. FINT answers the same API in front of
 * different consumers and archive adapters, which take and refuse different things; no API tells which.
 */

/**
 * The FINT consumer behind `/arkiv/noark`: `classic` (fint-consumer-arkiv-noark) passes searches to the
 * archive's adapter and answers a filter it cannot parse with 500; `core` (fint-core-consumer) answers 400 and
 * a finished write with 201 only.
 */
export type FintConsumer = "classic" | "core";

/**
 * The archive adapter behind FINT: Public 360 (fint-p360-rpc-arkiv-adapter) or Elements
 * (fint-sikri-arkiv-adapter). Unknown: only what both take is sent.
 */
export type FintAdapter = "P360" | "ELEMENTS";

/**
 * Noark 5 file format codes (M701, `RA-*` as the Noark metadata catalogue and the archives' format tables know
 * them) for the MIME types Flyt receives. A destination's `fileFormats` setting adds to or replaces these.
 */
export const defaultFileFormats: Readonly<Record<string, string>> = {
  "application/pdf": "RA-PDF",
  "text/plain": "RA-TEKST",
  "application/xml": "RA-XML",
  "text/xml": "RA-XML",
  "image/tiff": "RA-TIFF6",
  "image/jpeg": "RA-JPEG",
  "image/png": "RA-PNG",
  "audio/mpeg": "RA-MP3",
  "video/mpeg": "RA-MPEG-2",
};

export const fintDefaults = {
  consumer: "classic" as FintConsumer,
  /** How long FINT's consumers keep a write's status (`StatusCache` `expireAfterWrite=30m`, core `EventCacheProperties`). */
  statusWindowMs: 30 * 60_000,
  /** How far the archive's clock may be behind Flyt's when it stamps `opprettetDato`. */
  createdSkewMs: 2 * 60_000,
  /** How long code lists are kept before they are read again (FINT's Flyt gateway: 15 min). */
  codeListRefreshMs: 15 * 60_000,
  /** Noark 5 variant format of the files Flyt sends: as received, the production format. */
  variantFormat: "P",
  /** Noark 5 document status of what Flyt sends: finished. */
  dokumentstatus: "F",
};
