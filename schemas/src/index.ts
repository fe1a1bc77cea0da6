export { CASE_NUMBER, isCaseNumber } from "./case-number";
export { backwardIncompatibility } from "./compatibility";
export * from "./generated/events";
export * from "./generated/schemas";
export { avroType, logicalTypes } from "./logical-types";
