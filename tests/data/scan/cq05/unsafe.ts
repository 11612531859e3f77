// CQ-05 positive fixture (TypeScript): type syntax must not hide anything.
import type { ExecOptions } from "node:child_process";
import cp = require("child_process");
import { execSync as run } from "node:child_process";

const options: ExecOptions = { cwd: "/" };
cp.exec(command as string, options); // expect: child-process-exec
run(<string>command); // expect: child-process-exec
(eval as (s: string) => unknown)(code!); // expect: eval
function query<T>(id: number): Promise<T> {
  return db.query<T>(`SELECT * FROM t WHERE id = ${id}`); // expect: sql-template
}
