/** Pieces the two emulators share (never the clients). */

/** mulberry32: a tiny seeded PRNG, identical on every platform; shared by both emulators' fleet generators. */
export function seededRandom(seed: number): () => number {
    let a = seed >>> 0;
    return () => {
        a = (a + 0x6d2b79f5) >>> 0;
        let t = a;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}

/** Listen on a free loopback port and return it (both emulators bind only to 127.0.0.1). */
export async function listenOnLoopback(server: import("node:http").Server): Promise<number> {
    await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(0, "127.0.0.1", () => resolve());
    });
    return (server.address() as import("node:net").AddressInfo).port;
}
