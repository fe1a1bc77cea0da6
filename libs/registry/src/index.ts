export { type AuditAction, type AuditEntry, AuditLog, auditActions } from "./audit-log";
export {
  type CaseAccess,
  type CaseMode,
  type ConfigurationIssue,
  caseSearchCriteria,
  convertibleFields,
  type FixableField,
  fixableFields,
  type IntegrationConfiguration,
  type IntegrationConfigurationInput,
  integrationConfigurationSchema,
  issuesOf,
  parseConfiguration,
} from "./configuration";
export {
  type CompleteDraftOutcome,
  type ConfigurationHistory,
  ConfigurationStore,
  type ConfigurationVersion,
  type SaveDraftOutcome,
  unknownDestinationIssue,
  type VersionSummary,
} from "./configuration-store";
export { seedDemoConfigurations } from "./demo-configurations";
export {
  demoClients,
  demoIntegrations,
  demoSourceApplications,
  demoTenant,
  seedDemoCounty,
} from "./demo-county";
export {
  checkRequestExpired,
  DESTINATION_CHECK_EXPIRES_AFTER_MS,
  type DestinationCheck,
  type DestinationCheckReport,
  type DestinationCheckRequest,
  type DestinationCheckStep,
  DestinationChecks,
  type FinishedDestinationCheck,
  type UnfinishedDestinationCheck,
  type UnknownCode,
} from "./destination-checks";
export { migrateRegistry, rollbackRegistry } from "./migrate";
export * from "./model";
export { RegistryStore } from "./registry-store";
export { inRegistryTransaction, type RegistryStores, registryStores } from "./registry-stores";
