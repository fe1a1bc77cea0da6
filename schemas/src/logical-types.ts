import avro from "avsc";

/** `timestamp-millis` as a JS `Date` (on the wire: milliseconds since the epoch, a long). */
class TimestampMillis extends avro.types.LogicalType {
  override _fromValue(value: number): Date {
    return new Date(value);
  }
  override _toValue(value: unknown): number | undefined {
    if (value instanceof Date) return value.getTime();
    return typeof value === "number" ? value : undefined;
  }
  override _resolve(type: avro.Type) {
    if (avro.Type.isType(type, "long", "logical:timestamp-millis"))
      return (value: number) => this._fromValue(value);
    return undefined;
  }
}

const MS_PER_DAY = 86_400_000;

/** `date` as an ISO calendar date string `YYYY-MM-DD` (on the wire: days since the epoch, an int). */
class CalendarDate extends avro.types.LogicalType {
  override _fromValue(value: number): string {
    return new Date(value * MS_PER_DAY).toISOString().slice(0, 10);
  }
  override _toValue(value: unknown): number | undefined {
    if (typeof value !== "string" || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return undefined;
    const ms = Date.parse(`${value}T00:00:00Z`);
    return Number.isNaN(ms) ? undefined : ms / MS_PER_DAY;
  }
  /** Reading data written as a plain int, or as this logical type (then avsc hands us the writer's string). */
  override _resolve(type: avro.Type) {
    if (avro.Type.isType(type, "logical:date")) return (value: string) => value;
    if (avro.Type.isType(type, "int")) return (value: number) => this._fromValue(value);
    return undefined;
  }
}

/** The logical types every Flyt schema is read and written with; generated types assume them. */
export const logicalTypes = {
  "timestamp-millis": TimestampMillis,
  date: CalendarDate,
} as const;

/** Parses an Avro schema the way Flyt's producers and consumers do. */
export function avroType(schema: object): avro.Type {
  return avro.Type.forSchema(schema as avro.Schema, { logicalTypes, wrapUnions: false });
}
