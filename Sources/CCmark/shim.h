// Debian's libcmark-dev (0.30.2): the CommonMark reference parser, used to read lessons.
#include <cmark.h>
