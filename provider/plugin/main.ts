/**
 * Plugin entry: start the server and print the port on stdout, the one line the Pulumi engine reads. Nothing else
 * is ever written to stdout; a startup failure goes to stderr, redacted, with exit code 1.
 * Arguments from the engine (its address, `--logtostderr`, `-v=N`, …) are accepted and ignored: this provider
 * never calls back into the engine.
 */
import { redact } from "../common/redact";
import { startServer } from "./server";
import { warmUp } from "./struct-writer";
import { preloadLookup } from "./handlers";

let started = false;

export async function main(): Promise<void> {
    if (started) return;
    started = true;
    try {
        const { port } = await startServer();
        process.stdout.write(`${port}\n`);
        // After the port line, so start-up is not delayed: the engine's first invoke finds the encoder optimized.
        setImmediate(() => {
            preloadLookup();
            warmUp();
        });
    } catch (e) {
        process.stderr.write(`cloudphone: cannot start the provider: ${redact(e instanceof Error ? e.message : String(e))}\n`);
        process.exit(1);
    }
}
