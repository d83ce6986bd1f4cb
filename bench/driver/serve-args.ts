// The serve CLI arguments (DESIGN.md contract 3) for one server under test: port 0 on loopback,
// so cells never collide with each other or with the ports the brief reserves for databases.

export function serveArgs(model: string, db: string, root: string, workers?: number, app?: string): string[] {
  const args = [`--model=${model}`, '--port=0', '--host=127.0.0.1', `--db=${db}`, `--root=${root}`]
  if (workers !== undefined) args.push(`--workers=${workers}`)
  // a gateway app other than the stock app (bench --app, as serve --app)
  if (app !== undefined) args.push(`--app=${app}`)
  return args
}
