export { FlytError, isRetriable, PermanentError, retryWhileRetriable, TransientError } from "./flyt-error";
