/**
 * Loaded by mocha before any test (.mocharc.json `require`): the tests choose their own proxy variables, so none from
 * the developer's or the CI runner's environment reaches a lookup, a CLI or plugin child, or the engine (the
 * emulators are on loopback, which undici proxies unless NO_PROXY covers it).
 */
import { PROXY_VARIABLES } from "./proxy-variables";

for (const k of PROXY_VARIABLES) delete process.env[k];
