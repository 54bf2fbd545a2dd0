# Writes the bytes of IN as a NUL-terminated C array NAME (and NAME_len,
# the byte count without the NUL) into OUT.
file(READ ${IN} hex HEX)
string(LENGTH "${hex}" hexlen)
math(EXPR nbytes "${hexlen} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," body "${hex}")
string(REGEX REPLACE "(0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,)" "\\1\n" body "${body}")
file(WRITE ${OUT}
"/* Generated from ${IN} by cmake/embed.cmake. */\n"
"#include <stddef.h>\n"
"extern const char ${NAME}[];\n"
"extern const size_t ${NAME}_len;\n"
"const char ${NAME}[] = {\n${body}0x00};\n"
"const size_t ${NAME}_len = ${nbytes};\n")
