/** Runs a CLI's `main` with the process arguments: its return value is the exit status, and a
 * thrown error is one line on stderr with status 1 (no stack for an operator's typo). */
export function runCli(name: string, main: (argv: string[]) => Promise<number>): void {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      console.error(`${name}: ${err instanceof Error ? err.message : String(err)}`);
      process.exit(1);
    },
  );
}
