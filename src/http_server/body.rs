//! Response bodies: bytes already in memory, a file read piece by piece, and a
//! stream fed by another thread (the dev server's reload events).

use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};

use http_body_util::BodyExt;
use http_body_util::combinators::UnsyncBoxBody;
use hyper::body::{Bytes, Frame, SizeHint};
use tokio::io::{AsyncRead, ReadBuf};

/// Every response body of the server.
pub type Body = UnsyncBoxBody<Bytes, io::Error>;

/// How much of a file is read at a time: memory per download stays this size.
const CHUNK: usize = 64 * 1024;

pub fn bytes(data: impl Into<Bytes>) -> Body {
    http_body_util::Full::new(data.into())
        .map_err(|never| match never {})
        .boxed_unsync()
}

pub fn empty() -> Body {
    bytes(Bytes::new())
}

/// `len` bytes of `file` from where it is positioned.
pub fn file(file: std::fs::File, len: u64) -> Body {
    FileBody {
        file: tokio::fs::File::from_std(file),
        remaining: len,
        buf: vec![0; CHUNK].into_boxed_slice(),
    }
    .boxed_unsync()
}

/// A body whose chunks another thread sends through the returned sender.
pub fn channel() -> (http_body_util::channel::Sender<Bytes, io::Error>, Body) {
    let (tx, body) = http_body_util::channel::Channel::new(4);
    (tx, body.boxed_unsync())
}

struct FileBody {
    file: tokio::fs::File,
    remaining: u64,
    buf: Box<[u8]>,
}

impl hyper::body::Body for FileBody {
    type Data = Bytes;
    type Error = io::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, io::Error>>> {
        let this = self.get_mut();
        if this.remaining == 0 {
            return Poll::Ready(None);
        }
        let want = this
            .buf
            .len()
            .min(usize::try_from(this.remaining).unwrap_or(usize::MAX));
        let mut read = ReadBuf::new(&mut this.buf[..want]);
        match Pin::new(&mut this.file).poll_read(cx, &mut read) {
            Poll::Pending => Poll::Pending,
            Poll::Ready(Err(e)) => Poll::Ready(Some(Err(e))),
            Poll::Ready(Ok(())) if read.filled().is_empty() => Poll::Ready(Some(Err(
                // The file shrank while being sent.
                io::Error::from(io::ErrorKind::UnexpectedEof),
            ))),
            Poll::Ready(Ok(())) => {
                let chunk = Bytes::copy_from_slice(read.filled());
                this.remaining -= chunk.len() as u64;
                Poll::Ready(Some(Ok(Frame::data(chunk))))
            }
        }
    }

    fn is_end_stream(&self) -> bool {
        self.remaining == 0
    }

    fn size_hint(&self) -> SizeHint {
        SizeHint::with_exact(self.remaining)
    }
}
