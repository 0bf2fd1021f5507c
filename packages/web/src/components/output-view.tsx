// A generation's outputs: an image viewer with zoom, a video player with frame stepping, EXR as a download.
import { useRef, useState } from 'preact/hooks';
import type { Generation } from '@umbra/sdk';

/** Frames per second of every video the API makes (contract §2.5). */
const FPS = 24;

function ImageViewer({ url, alt }: { url: string; alt: string }) {
  const [zoom, setZoom] = useState(1);
  return (
    <figure class="viewer">
      <div class="zoom-box" tabIndex={0} aria-label="Image, scrollable when zoomed">
        <img src={url} alt={alt} style={{ width: `${zoom * 100}%` }} />
      </div>
      <figcaption class="row">
        <label class="inline">
          Zoom
          <input
            type="range"
            min={1}
            max={4}
            step={0.25}
            value={zoom}
            onInput={(e) => setZoom(Number(e.currentTarget.value))}
          />
        </label>
        <output>{Math.round(zoom * 100)}%</output>
        <a href={url} download>
          Download
        </a>
      </figcaption>
    </figure>
  );
}

function VideoPlayer({ url, label }: { url: string; label: string }) {
  const ref = useRef<HTMLVideoElement>(null);
  const [frame, setFrame] = useState(0);
  const step = (n: number): void => {
    const v = ref.current;
    if (v === null) return;
    v.pause();
    const next = Math.max(0, Math.round(v.currentTime * FPS) + n);
    // The middle of the frame, so rounding never lands on its neighbour.
    v.currentTime = (next + 0.5) / FPS;
    setFrame(next);
  };
  return (
    <figure class="viewer">
      <video
        ref={ref}
        src={url}
        controls
        playsInline
        preload="metadata"
        aria-label={label}
        onTimeUpdate={(e) => setFrame(Math.floor(e.currentTarget.currentTime * FPS))}
      />
      <figcaption class="row">
        <button type="button" class="secondary" onClick={() => step(-1)}>
          Previous frame
        </button>
        <button type="button" class="secondary" onClick={() => step(1)}>
          Next frame
        </button>
        <output aria-live="polite">Frame {frame}</output>
        <a href={url} download>
          Download
        </a>
      </figcaption>
    </figure>
  );
}

export function OutputView({ generation }: { generation: Generation }) {
  return (
    <div class="outputs">
      {generation.output.map((o, i) => {
        const key = `${o.type}-${i}`;
        if (o.type === 'image')
          return <ImageViewer key={key} url={o.url} alt={`Output ${i + 1} of ${generation.id}`} />;
        if (o.type === 'video')
          return <VideoPlayer key={key} url={o.url} label={`Video output of ${generation.id}`} />;
        return (
          <p key={key}>
            <a href={o.url} download>
              Download {o.type.toUpperCase()} output
            </a>
          </p>
        );
      })}
    </div>
  );
}
