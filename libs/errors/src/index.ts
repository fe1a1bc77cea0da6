export { FlytError, isRetriable, PermanentError, TransientError } from "./flyt-error";
