using System.Runtime.InteropServices;

namespace McpCloudTools.Core.Audit;

/// <summary>
/// A file opened for appending the way several writers can share it: <c>O_APPEND</c> (each write lands at the end,
/// atomically for the sizes we write, whatever other processes append). .NET's <see cref="FileMode.Append"/> seeks
/// once and then writes at its own offset, so two processes would overwrite each other's lines; hence the system
/// calls on Linux and macOS. Elsewhere a <see cref="FileStream"/> in append mode (one process).
/// </summary>
internal sealed partial class AppendOnlyFile : IDisposable
{
    private readonly int _fd = -1;
    private readonly FileStream? _stream;

    private AppendOnlyFile(int fd) => _fd = fd;

    private AppendOnlyFile(FileStream stream) => _stream = stream;

    /// <summary>Opens (creating, mode 0640) <paramref name="path"/>; throws <see cref="IOException"/> saying why not.</summary>
    public static AppendOnlyFile Open(string path)
    {
        int flags;
        if (OperatingSystem.IsLinux())
        {
            flags = 0x1 | 0x40 | 0x400 | 0x80000; // O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC
        }
        else if (OperatingSystem.IsMacOS())
        {
            flags = 0x1 | 0x200 | 0x8 | 0x1000000; // O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC
        }
        else
        {
            return new AppendOnlyFile(new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.None));
        }

        var fd = OpenFile(path, flags, Convert.ToInt32("640", 8));
        return fd >= 0 ? new AppendOnlyFile(fd) : throw new IOException(Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError()));
    }

    /// <summary>Appends <paramref name="bytes"/>; throws <see cref="IOException"/> on failure (a full disk).</summary>
    public void Append(ReadOnlySpan<byte> bytes)
    {
        if (_stream is not null)
        {
            _stream.Write(bytes);
            _stream.Flush();
            return;
        }

        while (bytes.Length > 0)
        {
            var written = WriteFile(_fd, bytes, bytes.Length);
            if (written < 0)
            {
                var errno = Marshal.GetLastPInvokeError();
                if (errno == 4)
                {
                    continue; // EINTR
                }

                throw new IOException(Marshal.GetPInvokeErrorMessage(errno));
            }

            bytes = bytes[(int)written..];
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _stream?.Dispose();
        if (_fd >= 0)
        {
            _ = CloseFile(_fd);
        }
    }

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int OpenFile(string path, int flags, int mode);

    [LibraryImport("libc", EntryPoint = "write", SetLastError = true)]
    private static partial nint WriteFile(int fd, ReadOnlySpan<byte> buffer, nint count);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int CloseFile(int fd);
}
