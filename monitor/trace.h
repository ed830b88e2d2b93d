#include "trace/trace-monitor.h"
