import { avroType } from "./logical-types";

/**
 * Why data written with `writer` cannot be read with `reader` (Avro schema resolution), or undefined when it
 * can. BACKWARD compatibility of a new schema means: the new schema reads what every older one wrote.
 */
export function backwardIncompatibility(reader: object, writer: object): string | undefined {
  try {
    avroType(reader).createResolver(avroType(writer));
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}
