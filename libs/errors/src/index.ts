export {
  FlytError,
  isConnectionError,
  isRetriable,
  isUnavailable,
  PermanentError,
  retryWhileRetriable,
  TransientError,
} from "./flyt-error";
