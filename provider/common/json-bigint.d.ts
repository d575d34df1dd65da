/** The part of json-bigint 1.0 (pop-core's parser) this package uses. */
declare module "json-bigint" {
    interface JsonBigintOptions {
        readonly strict?: boolean;
        readonly storeAsString?: boolean;
        readonly useNativeBigInt?: boolean;
    }
    interface JsonBigint {
        parse(text: string): unknown;
    }
    function JSONbig(options?: JsonBigintOptions): JsonBigint;
    export = JSONbig;
}
