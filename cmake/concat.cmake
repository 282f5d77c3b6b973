# Concatenates the SQL parts (PARTS, a |-separated list) into OUT, each preceded by its file name.
string(REPLACE "|" ";" PARTS "${PARTS}")
file(WRITE ${OUT} "-- Generated from sql/install/*.sql by cmake; edit those files, not this one.\n")
file(APPEND ${OUT} "\\echo Use \"CREATE EXTENSION smup CASCADE\" to load this file. \\quit\n")
foreach(part ${PARTS})
  get_filename_component(name ${part} NAME)
  file(READ ${part} body)
  file(APPEND ${OUT} "\n-- ==== sql/install/${name} ====\n${body}")
endforeach()
