package dev.berth.sys;

/**
 * A Linux errno with its symbolic name and glibc's message (strerror), generated from
 * asm-generic/errno*.h. Used to turn numbers reported by the kernel or by berth-shim into text.
 */
public record Errno(int number, String name, String message) {
    public static final int EPERM = 1, ENOENT = 2, ESRCH = 3, EINTR = 4, EBADF = 9, EAGAIN = 11,
            EACCES = 13, EBUSY = 16, EEXIST = 17, ENOTDIR = 20, EINVAL = 22, ENOSPC = 28;

    public static Errno of(int number) {
        return switch (number) {
            case 1 -> new Errno(1, "EPERM", "Operation not permitted");
            case 2 -> new Errno(2, "ENOENT", "No such file or directory");
            case 3 -> new Errno(3, "ESRCH", "No such process");
            case 4 -> new Errno(4, "EINTR", "Interrupted system call");
            case 5 -> new Errno(5, "EIO", "Input/output error");
            case 6 -> new Errno(6, "ENXIO", "No such device or address");
            case 7 -> new Errno(7, "E2BIG", "Argument list too long");
            case 8 -> new Errno(8, "ENOEXEC", "Exec format error");
            case 9 -> new Errno(9, "EBADF", "Bad file descriptor");
            case 10 -> new Errno(10, "ECHILD", "No child processes");
            case 11 -> new Errno(11, "EAGAIN", "Resource temporarily unavailable");
            case 12 -> new Errno(12, "ENOMEM", "Cannot allocate memory");
            case 13 -> new Errno(13, "EACCES", "Permission denied");
            case 14 -> new Errno(14, "EFAULT", "Bad address");
            case 15 -> new Errno(15, "ENOTBLK", "Block device required");
            case 16 -> new Errno(16, "EBUSY", "Device or resource busy");
            case 17 -> new Errno(17, "EEXIST", "File exists");
            case 18 -> new Errno(18, "EXDEV", "Invalid cross-device link");
            case 19 -> new Errno(19, "ENODEV", "No such device");
            case 20 -> new Errno(20, "ENOTDIR", "Not a directory");
            case 21 -> new Errno(21, "EISDIR", "Is a directory");
            case 22 -> new Errno(22, "EINVAL", "Invalid argument");
            case 23 -> new Errno(23, "ENFILE", "Too many open files in system");
            case 24 -> new Errno(24, "EMFILE", "Too many open files");
            case 25 -> new Errno(25, "ENOTTY", "Inappropriate ioctl for device");
            case 26 -> new Errno(26, "ETXTBSY", "Text file busy");
            case 27 -> new Errno(27, "EFBIG", "File too large");
            case 28 -> new Errno(28, "ENOSPC", "No space left on device");
            case 29 -> new Errno(29, "ESPIPE", "Illegal seek");
            case 30 -> new Errno(30, "EROFS", "Read-only file system");
            case 31 -> new Errno(31, "EMLINK", "Too many links");
            case 32 -> new Errno(32, "EPIPE", "Broken pipe");
            case 33 -> new Errno(33, "EDOM", "Numerical argument out of domain");
            case 34 -> new Errno(34, "ERANGE", "Numerical result out of range");
            case 35 -> new Errno(35, "EDEADLK", "Resource deadlock avoided");
            case 36 -> new Errno(36, "ENAMETOOLONG", "File name too long");
            case 37 -> new Errno(37, "ENOLCK", "No locks available");
            case 38 -> new Errno(38, "ENOSYS", "Function not implemented");
            case 39 -> new Errno(39, "ENOTEMPTY", "Directory not empty");
            case 40 -> new Errno(40, "ELOOP", "Too many levels of symbolic links");
            case 42 -> new Errno(42, "ENOMSG", "No message of desired type");
            case 43 -> new Errno(43, "EIDRM", "Identifier removed");
            case 44 -> new Errno(44, "ECHRNG", "Channel number out of range");
            case 45 -> new Errno(45, "EL2NSYNC", "Level 2 not synchronized");
            case 46 -> new Errno(46, "EL3HLT", "Level 3 halted");
            case 47 -> new Errno(47, "EL3RST", "Level 3 reset");
            case 48 -> new Errno(48, "ELNRNG", "Link number out of range");
            case 49 -> new Errno(49, "EUNATCH", "Protocol driver not attached");
            case 50 -> new Errno(50, "ENOCSI", "No CSI structure available");
            case 51 -> new Errno(51, "EL2HLT", "Level 2 halted");
            case 52 -> new Errno(52, "EBADE", "Invalid exchange");
            case 53 -> new Errno(53, "EBADR", "Invalid request descriptor");
            case 54 -> new Errno(54, "EXFULL", "Exchange full");
            case 55 -> new Errno(55, "ENOANO", "No anode");
            case 56 -> new Errno(56, "EBADRQC", "Invalid request code");
            case 57 -> new Errno(57, "EBADSLT", "Invalid slot");
            case 59 -> new Errno(59, "EBFONT", "Bad font file format");
            case 60 -> new Errno(60, "ENOSTR", "Device not a stream");
            case 61 -> new Errno(61, "ENODATA", "No data available");
            case 62 -> new Errno(62, "ETIME", "Timer expired");
            case 63 -> new Errno(63, "ENOSR", "Out of streams resources");
            case 64 -> new Errno(64, "ENONET", "Machine is not on the network");
            case 65 -> new Errno(65, "ENOPKG", "Package not installed");
            case 66 -> new Errno(66, "EREMOTE", "Object is remote");
            case 67 -> new Errno(67, "ENOLINK", "Link has been severed");
            case 68 -> new Errno(68, "EADV", "Advertise error");
            case 69 -> new Errno(69, "ESRMNT", "Srmount error");
            case 70 -> new Errno(70, "ECOMM", "Communication error on send");
            case 71 -> new Errno(71, "EPROTO", "Protocol error");
            case 72 -> new Errno(72, "EMULTIHOP", "Multihop attempted");
            case 73 -> new Errno(73, "EDOTDOT", "RFS specific error");
            case 74 -> new Errno(74, "EBADMSG", "Bad message");
            case 75 -> new Errno(75, "EOVERFLOW", "Value too large for defined data type");
            case 76 -> new Errno(76, "ENOTUNIQ", "Name not unique on network");
            case 77 -> new Errno(77, "EBADFD", "File descriptor in bad state");
            case 78 -> new Errno(78, "EREMCHG", "Remote address changed");
            case 79 -> new Errno(79, "ELIBACC", "Can not access a needed shared library");
            case 80 -> new Errno(80, "ELIBBAD", "Accessing a corrupted shared library");
            case 81 -> new Errno(81, "ELIBSCN", ".lib section in a.out corrupted");
            case 82 -> new Errno(82, "ELIBMAX", "Attempting to link in too many shared libraries");
            case 83 -> new Errno(83, "ELIBEXEC", "Cannot exec a shared library directly");
            case 84 -> new Errno(84, "EILSEQ", "Invalid or incomplete multibyte or wide character");
            case 85 -> new Errno(85, "ERESTART", "Interrupted system call should be restarted");
            case 86 -> new Errno(86, "ESTRPIPE", "Streams pipe error");
            case 87 -> new Errno(87, "EUSERS", "Too many users");
            case 88 -> new Errno(88, "ENOTSOCK", "Socket operation on non-socket");
            case 89 -> new Errno(89, "EDESTADDRREQ", "Destination address required");
            case 90 -> new Errno(90, "EMSGSIZE", "Message too long");
            case 91 -> new Errno(91, "EPROTOTYPE", "Protocol wrong type for socket");
            case 92 -> new Errno(92, "ENOPROTOOPT", "Protocol not available");
            case 93 -> new Errno(93, "EPROTONOSUPPORT", "Protocol not supported");
            case 94 -> new Errno(94, "ESOCKTNOSUPPORT", "Socket type not supported");
            case 95 -> new Errno(95, "EOPNOTSUPP", "Operation not supported");
            case 96 -> new Errno(96, "EPFNOSUPPORT", "Protocol family not supported");
            case 97 -> new Errno(97, "EAFNOSUPPORT", "Address family not supported by protocol");
            case 98 -> new Errno(98, "EADDRINUSE", "Address already in use");
            case 99 -> new Errno(99, "EADDRNOTAVAIL", "Cannot assign requested address");
            case 100 -> new Errno(100, "ENETDOWN", "Network is down");
            case 101 -> new Errno(101, "ENETUNREACH", "Network is unreachable");
            case 102 -> new Errno(102, "ENETRESET", "Network dropped connection on reset");
            case 103 -> new Errno(103, "ECONNABORTED", "Software caused connection abort");
            case 104 -> new Errno(104, "ECONNRESET", "Connection reset by peer");
            case 105 -> new Errno(105, "ENOBUFS", "No buffer space available");
            case 106 -> new Errno(106, "EISCONN", "Transport endpoint is already connected");
            case 107 -> new Errno(107, "ENOTCONN", "Transport endpoint is not connected");
            case 108 -> new Errno(108, "ESHUTDOWN", "Cannot send after transport endpoint shutdown");
            case 109 -> new Errno(109, "ETOOMANYREFS", "Too many references: cannot splice");
            case 110 -> new Errno(110, "ETIMEDOUT", "Connection timed out");
            case 111 -> new Errno(111, "ECONNREFUSED", "Connection refused");
            case 112 -> new Errno(112, "EHOSTDOWN", "Host is down");
            case 113 -> new Errno(113, "EHOSTUNREACH", "No route to host");
            case 114 -> new Errno(114, "EALREADY", "Operation already in progress");
            case 115 -> new Errno(115, "EINPROGRESS", "Operation now in progress");
            case 116 -> new Errno(116, "ESTALE", "Stale file handle");
            case 117 -> new Errno(117, "EUCLEAN", "Structure needs cleaning");
            case 118 -> new Errno(118, "ENOTNAM", "Not a XENIX named type file");
            case 119 -> new Errno(119, "ENAVAIL", "No XENIX semaphores available");
            case 120 -> new Errno(120, "EISNAM", "Is a named type file");
            case 121 -> new Errno(121, "EREMOTEIO", "Remote I/O error");
            case 122 -> new Errno(122, "EDQUOT", "Disk quota exceeded");
            case 123 -> new Errno(123, "ENOMEDIUM", "No medium found");
            case 124 -> new Errno(124, "EMEDIUMTYPE", "Wrong medium type");
            case 125 -> new Errno(125, "ECANCELED", "Operation canceled");
            case 126 -> new Errno(126, "ENOKEY", "Required key not available");
            case 127 -> new Errno(127, "EKEYEXPIRED", "Key has expired");
            case 128 -> new Errno(128, "EKEYREVOKED", "Key has been revoked");
            case 129 -> new Errno(129, "EKEYREJECTED", "Key was rejected by service");
            case 130 -> new Errno(130, "EOWNERDEAD", "Owner died");
            case 131 -> new Errno(131, "ENOTRECOVERABLE", "State not recoverable");
            case 132 -> new Errno(132, "ERFKILL", "Operation not possible due to RF-kill");
            case 133 -> new Errno(133, "EHWPOISON", "Memory page has hardware error");
            default -> new Errno(number, "E" + number, "errno " + number);
        };
    }

    /** Lower-cased like Go's syscall errors, as runc prints them ("no such file or directory"). */
    public String lowerMessage() {
        return message.isEmpty() ? message : Character.toLowerCase(message.charAt(0)) + message.substring(1);
    }
}
