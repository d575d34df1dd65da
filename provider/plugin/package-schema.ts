/** The package schema served by GetSchema: schema.json (generated, see codegen.ts) with the plugin version. (Not named schema.ts: `require("./schema")` would find schema.json first.) */
import schemaJson from "./schema.json";

export const SCHEMA: Readonly<Record<string, unknown>> = schemaJson as Readonly<Record<string, unknown>>;

export function schemaText(version: string): string {
    return JSON.stringify({ ...SCHEMA, version });
}
