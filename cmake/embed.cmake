# Writes the bytes of IN as a C array `default_rules_json` into OUT.
file(READ ${IN} hex HEX)
string(LENGTH "${hex}" hexlen)
math(EXPR nbytes "${hexlen} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," body "${hex}")
string(REGEX REPLACE "(0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,)" "\\1\n" body "${body}")
file(WRITE ${OUT}
"/* Generated from rules/notiflows.json by cmake/embed.cmake. */\n"
"#include <stddef.h>\n"
"extern const char default_rules_json[];\n"
"extern const size_t default_rules_json_len;\n"
"const char default_rules_json[] = {\n${body}0x00};\n"
"const size_t default_rules_json_len = ${nbytes};\n")
