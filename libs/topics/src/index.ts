export {
  allTopics,
  type CatalogueOptions,
  type ConsumingService,
  consumingServices,
  serviceTopics,
  type TopicCatalogue,
  topicCatalogue,
} from "./catalogue";
export { type ProvisionReport, provisionDeploymentTopics, provisionTopics } from "./provision";
export { registerSchemas } from "./register-schemas";
