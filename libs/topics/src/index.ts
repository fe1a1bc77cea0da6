export {
  type AclOptions,
  type AclPrincipalName,
  type AclRule,
  applyAcls,
  catalogueAcls,
  DEPLOY_PRINCIPAL,
  describeAcl,
  parsePrincipals,
} from "./acls";
export {
  allTopics,
  type CatalogueOptions,
  type ConsumingService,
  consumingServices,
  type KafkaService,
  serviceTopics,
  type TopicCatalogue,
  topicAccess,
  topicCatalogue,
} from "./catalogue";
export { type ProvisionReport, provisionDeploymentTopics, provisionTopics } from "./provision";
export { registerSchemas } from "./register-schemas";
