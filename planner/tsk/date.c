/* date.c - PHP date() format tokens, always in UTC (for @date). */
#include "internal.h"

#include <inttypes.h>
#include <time.h>

static const char *const days[] = {"Sunday", "Monday", "Tuesday", "Wednesday",
                                   "Thursday", "Friday", "Saturday"};
static const char *const months[] = {
    "January", "February", "March", "April", "May", "June", "July",
    "August", "September", "October", "November", "December"};

static int is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int m, int y)
{
    static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 1 && is_leap(y) ? 29 : d[m];
}

/* ISO-8601 week number and week-based year. */
static void iso_week(const struct tm *tm, int *week, int *year)
{
    int wday = (tm->tm_wday + 6) % 7; /* Monday = 0 */
    int y = tm->tm_year + 1900;
    int w = (tm->tm_yday - wday + 10) / 7;
    if (w < 1) {
        y--;
        int pyday = tm->tm_yday + (is_leap(y) ? 366 : 365);
        w = (pyday - wday + 10) / 7;
    } else if (w == 53) {
        int ydays = is_leap(y) ? 366 : 365;
        if (tm->tm_yday - wday + 3 >= ydays) {
            w = 1;
            y++;
        }
    }
    *week = w;
    *year = y;
}

void tsk_php_date(struct tsk_buf *o, const char *f, size_t len, int64_t t,
                  long usec)
{
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    int year = tm.tm_year + 1900;
    for (size_t i = 0; i < len; i++) {
        char c = f[i];
        int w, y;
        switch (c) {
        case 'd': tsk_buf_addf(o, "%02d", tm.tm_mday); break;
        case 'D': tsk_buf_addf(o, "%.3s", days[tm.tm_wday]); break;
        case 'j': tsk_buf_addf(o, "%d", tm.tm_mday); break;
        case 'l': tsk_buf_adds(o, days[tm.tm_wday]); break;
        case 'N': tsk_buf_addf(o, "%d", tm.tm_wday ? tm.tm_wday : 7); break;
        case 'S': {
            int d = tm.tm_mday;
            const char *s = "th";
            if (d % 10 == 1 && d != 11)
                s = "st";
            else if (d % 10 == 2 && d != 12)
                s = "nd";
            else if (d % 10 == 3 && d != 13)
                s = "rd";
            tsk_buf_adds(o, s);
            break;
        }
        case 'w': tsk_buf_addf(o, "%d", tm.tm_wday); break;
        case 'z': tsk_buf_addf(o, "%d", tm.tm_yday); break;
        case 'W': iso_week(&tm, &w, &y); tsk_buf_addf(o, "%02d", w); break;
        case 'o': iso_week(&tm, &w, &y); tsk_buf_addf(o, "%d", y); break;
        case 'F': tsk_buf_adds(o, months[tm.tm_mon]); break;
        case 'm': tsk_buf_addf(o, "%02d", tm.tm_mon + 1); break;
        case 'M': tsk_buf_addf(o, "%.3s", months[tm.tm_mon]); break;
        case 'n': tsk_buf_addf(o, "%d", tm.tm_mon + 1); break;
        case 't': tsk_buf_addf(o, "%d", days_in_month(tm.tm_mon, year)); break;
        case 'L': tsk_buf_addf(o, "%d", is_leap(year)); break;
        case 'X':
        case 'x':
        case 'Y': tsk_buf_addf(o, "%04d", year); break;
        case 'y': tsk_buf_addf(o, "%02d", year % 100); break;
        case 'a': tsk_buf_adds(o, tm.tm_hour < 12 ? "am" : "pm"); break;
        case 'A': tsk_buf_adds(o, tm.tm_hour < 12 ? "AM" : "PM"); break;
        case 'B': {
            long s = (long)(((t + 3600) % 86400 + 86400) % 86400);
            tsk_buf_addf(o, "%03ld", (long)(s * 10 / 864) % 1000);
            break;
        }
        case 'g': tsk_buf_addf(o, "%d", tm.tm_hour % 12 ? tm.tm_hour % 12 : 12); break;
        case 'G': tsk_buf_addf(o, "%d", tm.tm_hour); break;
        case 'h': tsk_buf_addf(o, "%02d", tm.tm_hour % 12 ? tm.tm_hour % 12 : 12); break;
        case 'H': tsk_buf_addf(o, "%02d", tm.tm_hour); break;
        case 'i': tsk_buf_addf(o, "%02d", tm.tm_min); break;
        case 's': tsk_buf_addf(o, "%02d", tm.tm_sec); break;
        case 'u': tsk_buf_addf(o, "%06ld", usec); break;
        case 'v': tsk_buf_addf(o, "%03ld", usec / 1000); break;
        case 'e': tsk_buf_adds(o, "UTC"); break;
        case 'I': tsk_buf_addch(o, '0'); break;
        case 'O': tsk_buf_adds(o, "+0000"); break;
        case 'P': tsk_buf_adds(o, "+00:00"); break;
        case 'p': tsk_buf_adds(o, "Z"); break;
        case 'T': tsk_buf_adds(o, "UTC"); break;
        case 'Z': tsk_buf_addch(o, '0'); break;
        case 'c':
            tsk_buf_addf(o, "%04d-%02d-%02dT%02d:%02d:%02d+00:00", year,
                         tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
                         tm.tm_sec);
            break;
        case 'r':
            tsk_buf_addf(o, "%.3s, %02d %.3s %04d %02d:%02d:%02d +0000",
                         days[tm.tm_wday], tm.tm_mday, months[tm.tm_mon], year,
                         tm.tm_hour, tm.tm_min, tm.tm_sec);
            break;
        case 'U': tsk_buf_addf(o, "%" PRId64, t); break;
        case '\\':
            if (i + 1 < len)
                tsk_buf_addch(o, f[++i]);
            break;
        default: tsk_buf_addch(o, c); break;
        }
    }
}
