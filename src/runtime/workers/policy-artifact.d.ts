/** dist/worker/artifact.json, aliased in wrangler.toml; written by `npm run worker:build`. */
declare module 'policy-artifact' {
  const artifact: unknown;
  export default artifact;
}
