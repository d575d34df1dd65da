/** The result shape both clouds' getInstances share, from the selected instances of a lookup. */

export interface ListResult<T> {
    readonly instances: T[];
    readonly ids: string[];
    readonly names: string[];
    readonly totalCount: number;
    readonly apiTotalCount: number;
}

/** Sorted by id (so results compare and diff stably), with the id and name lists beside them. */
export function listResult<T>(selected: T[], idOf: (t: T) => string, nameOf: (t: T) => string | undefined, apiTotalCount: number): ListResult<T> {
    const instances = selected.sort((a, b) => {
        const x = idOf(a);
        const y = idOf(b);
        return x < y ? -1 : x > y ? 1 : 0;
    });
    return { instances, ids: instances.map(idOf), names: instances.map((i) => nameOf(i) ?? ""), totalCount: instances.length, apiTotalCount };
}
