/* model/qt_error.c — the quotient GError domain. */
#include "qt_error.h"

G_DEFINE_QUARK (quotient-error-quark, qt_error)
