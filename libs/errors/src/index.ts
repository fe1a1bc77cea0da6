export {
  FlytError,
  isConnectionError,
  isRetriable,
  PermanentError,
  retryWhileRetriable,
  TransientError,
} from "./flyt-error";
