// expect: hidden-exec
const run = globalThis["ev" + "al"];
module.exports = (src) => run(src);
