# Turns a data file into a C source defining a NUL-terminated byte array.
#   cmake -DIN=file -DOUT=file.c -DNAME=symbol -P embed.cmake
file(READ ${IN} hex HEX)
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
file(WRITE ${OUT} "/* generated from ${IN} by embed.cmake; do not edit */\n"
     "const unsigned char ${NAME}[] = {${bytes}0x00};\n")
