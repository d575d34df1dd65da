/** The proxy variables a lookup reads (as undici's EnvHttpProxyAgent does). */
export const PROXY_VARIABLES = ["http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "no_proxy", "NO_PROXY"] as const;
