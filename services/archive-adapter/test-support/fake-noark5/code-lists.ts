import { SKJERMING_METADATA_CODES } from "./refusals";

/**
 * The code lists the fake's `metadata/` offers, each under its relation key
 * `https://rel.arkivverket.no/noark5/v5/api/metadata/<list>/` (07-tjenester_og_informasjonsmodell.rst, the
 * "Relasjonsnøkler" of each «codelist» class, at tag versjon-1.1). Each value is a `kode` and `kodenavn`; a value
 * with `utdatert` (a datetime since v1.1, "Samkjørte attributtnavn inaktiv og utdatert samt endret type til
 * dato", 01-orientering_og_introduksjon.rst:173–174; 07…rst:4863–4866) in the past may not be used on new
 * objects. A county extends lists through the `ny-...` relations, as with `13` (offentleglova § 13) here.
 */
export interface FakeCode {
  readonly kode: string;
  readonly kodenavn?: string;
  readonly utdatert?: string;
}

const codes = (...values: string[]): FakeCode[] => values.map((kode) => ({ kode, kodenavn: kode }));

export const DEFAULT_CODE_LISTS: Readonly<Record<string, readonly FakeCode[]>> = {
  saksstatus: codes("B", "A", "U", "R", "S", "P", "F"),
  journalstatus: codes("J", "F", "G", "E", "A", "U", "M", "S", "R"),
  journalposttype: codes("I", "U", "N", "X", "S"),
  dokumentstatus: codes("B", "F"),
  dokumenttype: codes("B", "R", "F", "O"),
  tilgangsrestriksjon: codes("B", "K", "H", "F", "SF", "5", "6", "11", "13", "XX", "P", "KL"),
  skjermingmetadata: codes(...SKJERMING_METADATA_CODES),
  korrespondanseparttype: codes("EA", "EM", "EK", "GM", "IA", "IM", "IK", "IS"),
  tilknyttetregistreringsom: codes("H", "V"),
  variantformat: codes("P", "A", "O"),
  partrolle: codes("KLI", "PAR", "ADV"),
  format: codes("fmt/95", "fmt/354", "fmt/11", "av/0"),
};
