/**
 * A one-line progress indicator on stderr for long enumerations. It stays silent for the first `delayMs` (short
 * lookups print nothing) and is only used when stderr is a terminal, so pipes and CI logs never see it.
 */
export class ProgressLine {
    private readonly started: number;
    private readonly perCloud = new Map<string, { fetched: number; total?: number }>();
    private shown = false;
    private lastDraw = 0;

    constructor(private readonly write: (s: string) => void, private readonly delayMs = 750, private readonly now: () => number = Date.now) {
        this.started = now();
    }

    update(cloud: string, fetched: number, total?: number): void {
        this.perCloud.set(cloud, { fetched, total });
        const t = this.now();
        if (t - this.started < this.delayMs || t - this.lastDraw < 100) return;
        this.lastDraw = t;
        this.shown = true;
        const parts = [...this.perCloud].map(([c, p]) => `${c} ${p.fetched}${p.total !== undefined ? `/${p.total}` : ""}`);
        this.write(`\r\x1b[Kfetching… ${parts.join(", ")}`);
    }

    clear(): void {
        if (this.shown) this.write("\r\x1b[K");
        this.shown = false;
    }
}
