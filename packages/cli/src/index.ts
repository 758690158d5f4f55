export type { AccountApi } from './account-api';
export { type DoctorCheck, type DoctorResult, type DoctorSettings, runDoctorChecks } from './doctor/checks';
export { type CodeSamples, codeSamples, type SampleSetup } from './doctor/samples';
export { createKitProgram, runKit } from './program';
export {
  type ReceiverDelivery,
  startWebhookReceiver,
  type WebhookReceiver,
  type WebhookReceiverSettings,
} from './webhook-receiver';
