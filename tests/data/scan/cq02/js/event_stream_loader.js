// expect: obfuscated-exec
// Shape of the event-stream / flatmap-stream loader: a payload decoded and compiled as a module.
var r = require, t = process;
function e(r) {
  return Buffer.from(r, "hex").toString();
}
var n = r(e("2e2f746573742f64617461")),
  o = t[e(n[3])][e(n[4])];
var m = new module.constructor();
m.paths = module.paths;
eval(e(n[0]));
