// expect: obfuscated-exec
const code = atob("Y29uc29sZS5sb2coJ2hpJyk=");
new Function(code)();
