/* The shared state of a two-file module, defined once. */
#include "apr.h"

int ew_last_status;
