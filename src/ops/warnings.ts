/**
 * Node warns that WASI is experimental whenever the narration engine (flite compiled to WASI)
 * loads. The warning says nothing an operator can act on, so it is dropped; every other warning
 * goes through Node's own emitWarning and is shown as usual.
 */
let installed = false;

export function isWasiNotice(warning: string | Error, type: unknown): boolean {
  const name = warning instanceof Error ? warning.name : typeof type === 'string' ? type : (type as { type?: string } | undefined)?.type;
  const message = warning instanceof Error ? warning.message : String(warning);
  return name === 'ExperimentalWarning' && /\bWASI\b/.test(message);
}

export function quietWasiWarning(): void {
  if (installed) return;
  installed = true;
  const emit = process.emitWarning;
  process.emitWarning = function (this: NodeJS.Process, warning: string | Error, ...rest: unknown[]) {
    if (isWasiNotice(warning, rest[0])) return;
    return (emit as (...args: unknown[]) => void).call(this, warning, ...rest);
  } as typeof process.emitWarning;
}

quietWasiWarning();
