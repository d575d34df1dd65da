/**
 * The emulators' test-only TLS material (provider/emulators/certs/, made by scripts/gen-emulator-certs.sh): a test CA
 * and a server certificate for 127.0.0.1 and localhost signed by it. The real clouds answer over HTTPS only; with
 * `tls: true` an emulator does too, so clients are exercised with certificate verification ON: a client trusts
 * EMULATOR_CA_PATH (NODE_EXTRA_CA_CERTS=<it> for a Node process, read at start only, or an SDK's own CA option).
 *
 * The server key is public on purpose (certs/README.md): trust this CA for the loopback emulators and nothing else.
 */
import * as fs from "node:fs";
import * as path from "node:path";

/**
 * The certs folder, from the TypeScript source (provider/emulators/) or the compiled tree (dist/provider/emulators/,
 * which holds no .pem: the package ships provider/ itself, so the files are found three levels up).
 */
function certsFolder(): string {
    const candidates = [
        path.resolve(__dirname, "certs"),
        path.resolve(__dirname, "..", "..", "..", "provider", "emulators", "certs"),
    ];
    // Not found: the first candidate, so the read that needs it fails naming a real path.
    return candidates.find((d) => fs.existsSync(path.join(d, "ca.pem"))) ?? candidates[0];
}

const CERTS = certsFolder();

/** Absolute path of the test CA's certificate (PEM): what a client adds to its trusted CAs to reach the emulators. */
export const EMULATOR_CA_PATH: string = path.join(CERTS, "ca.pem");

/** The test CA's certificate, PEM text. */
export function emulatorCa(): string {
    return fs.readFileSync(EMULATOR_CA_PATH, "utf8");
}

/** Key and certificate (PEM) of the emulators' HTTPS servers: `https.createServer({ ...emulatorServerCredentials() })`. */
export function emulatorServerCredentials(): { key: string; cert: string } {
    return {
        key: fs.readFileSync(path.join(CERTS, "server-key.pem"), "utf8"),
        cert: fs.readFileSync(path.join(CERTS, "server.pem"), "utf8"),
    };
}
