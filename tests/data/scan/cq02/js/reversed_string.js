// expect: obfuscated-exec
const src = process.argv[2];
eval(src.split("").reverse().join(""));
