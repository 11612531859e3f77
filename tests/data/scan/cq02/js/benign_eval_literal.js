// expect: none
const two = eval("1 + 1");
const f = new Function("a", "b", "return a + b");
const cfg = JSON.parse(Buffer.from("eyJhIjoxfQ==", "base64").toString());
module.exports = { two, f, cfg };
