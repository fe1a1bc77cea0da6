/**
 * The Noark 5 tjenestegrensesnitt's names for things (v5, `https://rel.arkivverket.no/noark5/v5/api/...`): the
 * relation keys a client follows from the root, and the media type of every JSON request and answer. Hrefs are
 * the archive's own business; only these keys are fixed by the standard.
 */
export const NOARK5_MEDIA_TYPE = "application/vnd.noark5+json";
/** RFC 7396, which the standard names for partial updates (PATCH). */
export const MERGE_PATCH_MEDIA_TYPE = "application/merge-patch+json";

const API = "https://rel.arkivverket.no/noark5/v5/api";

export const REL = {
  arkivstruktur: `${API}/arkivstruktur/`,
  sakarkiv: `${API}/sakarkiv/`,
  /** Code lists and the catalogue of business-specific metadata fields (06-konsepter_og_prinsipper.rst:110–121). */
  metadata: `${API}/metadata/`,
  /** `protokollversjon`, and (post-1.1) `bulkgrense` (06-konsepter_og_prinsipper.rst:169–199). */
  adminSystem: `${API}/admin/system/`,
  businessMetadataCatalogue: `${API}/metadata/virksomhetsspesifikkeMetadata/`,
  arkivdel: `${API}/arkivstruktur/arkivdel/`,
  klassifikasjonssystem: `${API}/arkivstruktur/klassifikasjonssystem/`,
  klasse: `${API}/arkivstruktur/klasse/`,
  nyKlasse: `${API}/arkivstruktur/ny-klasse/`,
  saksmappe: `${API}/sakarkiv/saksmappe/`,
  nySaksmappe: `${API}/sakarkiv/ny-saksmappe/`,
  nyPartperson: `${API}/arkivstruktur/ny-partperson/`,
  nyPartenhet: `${API}/arkivstruktur/ny-partenhet/`,
  part: `${API}/arkivstruktur/part/`,
  journalpost: `${API}/sakarkiv/journalpost/`,
  registrering: `${API}/arkivstruktur/registrering/`,
  nyJournalpost: `${API}/sakarkiv/ny-journalpost/`,
  korrespondansepart: `${API}/arkivstruktur/korrespondansepart/`,
  nyKorrespondansepartperson: `${API}/arkivstruktur/ny-korrespondansepartperson/`,
  nyKorrespondansepartenhet: `${API}/arkivstruktur/ny-korrespondansepartenhet/`,
  nyKorrespondansepartintern: `${API}/arkivstruktur/ny-korrespondansepartintern/`,
  dokumentbeskrivelse: `${API}/arkivstruktur/dokumentbeskrivelse/`,
  nyDokumentbeskrivelse: `${API}/arkivstruktur/ny-dokumentbeskrivelse/`,
  dokumentobjekt: `${API}/arkivstruktur/dokumentobjekt/`,
  nyDokumentobjekt: `${API}/arkivstruktur/ny-dokumentobjekt/`,
  fil: `${API}/arkivstruktur/fil/`,
} as const;
