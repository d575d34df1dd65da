#!/usr/bin/env node
/**
 * Builds the plugin tarball users of any language install with
 *   pulumi plugin install resource cloudphone <version> --file <tarball>
 * The tarball holds, at its top level, what `npm pack` publishes of pulumi-resource-cloudphone (the compiled provider
 * and the `pulumi-resource-cloudphone` executable the engine runs directly) plus its production node_modules, copied
 * from this checkout's install (nothing is downloaded). PulumiPlugin.yaml is left out: with it, `pulumi plugin
 * install` runs `npm install` in the plugin folder (the network, and our build scripts); without it the folder is a
 * plain executable plugin, as the engine runs it anyway when it finds the executable. It needs `node` on PATH.
 *
 *   node scripts/pack-plugin.js [--out DIR]     (npm run plugin:pack; default DIR: dist/plugin)
 * Prints the tarball's path.
 */
"use strict";
const { execFileSync } = require("child_process");
const fs = require("fs");
const os = require("os");
const path = require("path");

const root = path.resolve(__dirname, "..");
const outArg = process.argv.indexOf("--out");
const outDir = path.resolve(outArg > 0 ? process.argv[outArg + 1] : path.join(root, "dist", "plugin"));
const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));

/** Every symbolic link under dir (relative paths). */
function symlinksIn(dir, rel = "") {
    const out = [];
    for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
        const p = path.join(rel, e.name);
        if (e.isSymbolicLink()) out.push(p);
        else if (e.isDirectory()) out.push(...symlinksIn(dir, p));
    }
    return out;
}

const work = fs.mkdtempSync(path.join(os.tmpdir(), "cloudphone-plugin-"));
try {
    const packed = execFileSync("npm", ["pack", "--ignore-scripts", "--silent", "--workspaces=false", "--pack-destination", work], { cwd: root, encoding: "utf8" }).trim().split("\n").pop();
    execFileSync("tar", ["-xzf", path.join(work, packed), "-C", work]);
    const stage = path.join(work, "package");

    // Production dependencies, as npm resolved them here (hoisted layout kept: paths relative to the root).
    const listed = execFileSync("npm", ["ls", "--omit=dev", "--all", "--parseable", "--workspaces=false"], { cwd: root, encoding: "utf8" });
    let copied = 0;
    for (const dir of listed.split("\n").map((l) => l.trim()).filter(Boolean)) {
        const rel = path.relative(root, dir);
        if (!rel || rel.startsWith("..") || !rel.startsWith("node_modules")) continue;
        const target = path.join(stage, rel);
        if (fs.existsSync(target)) continue;
        // node_modules/.bin holds links to scripts the plugin never runs; on Node 24, cpSync copies such nested links as
        // absolute links even with dereference, which `pulumi plugin install` refuses ("points outside the extraction
        // directory"). Left out; every other link is followed (dereference).
        fs.cpSync(fs.realpathSync(dir), target, { recursive: true, dereference: true, filter: (src) => path.basename(src) !== ".bin" });
        copied++;
    }
    const links = symlinksIn(stage);
    if (links.length) throw new Error(`pack-plugin: the tarball would hold symbolic links: ${links.slice(0, 5).join(", ")}`);
    fs.rmSync(path.join(stage, "PulumiPlugin.yaml"));
    // As in pack-npm.js: no development scripts (`prepare` builds from sources the package does not hold, so an
    // `npm install` in the plugin folder, which the engine runs for a folder with PulumiPlugin.yaml, would fail).
    const manifest = path.join(stage, "package.json");
    const { scripts: _scripts, devDependencies: _dev, workspaces: _workspaces, ...published } = JSON.parse(fs.readFileSync(manifest, "utf8"));
    fs.writeFileSync(manifest, `${JSON.stringify(published, null, 2)}\n`);
    // npm pack keeps modes, but be explicit: the engine runs this file directly.
    fs.chmodSync(path.join(stage, "pulumi-resource-cloudphone"), 0o755);

    fs.mkdirSync(outDir, { recursive: true });
    const platform = `${process.platform}-${process.arch === "x64" ? "amd64" : process.arch}`;
    const file = path.join(outDir, `pulumi-resource-cloudphone-v${pkg.version}-${platform}.tar.gz`);
    execFileSync("tar", ["-czf", file, "-C", stage, "."]);
    process.stderr.write(`pack-plugin: ${copied} production packages, ${(fs.statSync(file).size / 1048576).toFixed(1)} MiB\n`);
    process.stdout.write(`${file}\n`);
} finally {
    fs.rmSync(work, { recursive: true, force: true });
}
