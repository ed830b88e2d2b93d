#include "trace/trace-hw_misc.h"
