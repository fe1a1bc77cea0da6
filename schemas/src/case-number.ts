/**
 * An archive case number as source systems, archivists and archives write it: the case's year, a slash and its
 * sequence number. Public 360 writes the year with two digits and pads the sequence (`19/00094`), Elements and
 * most others four digits (`2026/123`); the number is kept exactly as written, leading zeros and all. Part of the
 * contract: a `caseRef` of this shape names a case in the archive, any other names a case submission.
 */
export const CASE_NUMBER = /^(\d{2}|\d{4})\/\d{1,10}$/;

export const isCaseNumber = (value: string): boolean => CASE_NUMBER.test(value);
