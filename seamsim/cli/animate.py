"""``seamsim animate A.yaml -o face.html``: the face in motion, as one self-contained HTML file.

Simulates one replication and writes an animated plan view of the face
(:mod:`seamsim.report.face_motion`): the shearer moving along it coloured by state, the
shields and the conveyor behind it, a clock and the tonnes so far; play at 1×, 4× or 16×,
pause and a slider. Frames are sampled every ``--interval-min`` simulated minutes (at most
600), so a month stays light.

Exit status: 0 written, 1 the face cannot be worked (nothing to animate), 2 bad input.
"""

from __future__ import annotations

import argparse

from seamsim.cli.arguments import _positive_float, _positive_int, _seed
from seamsim.cli.base import Command, add_set_argument, load_for_command
from seamsim.cli.guard import UsageError, guarded
from seamsim.cli.report import add_output_argument, check_output, need_plotly, write_output


def configure(parser: argparse.ArgumentParser) -> None:
    """Add the arguments of ``seamsim animate``."""
    parser.add_argument("file", metavar="FILE", help="scenario YAML file")
    add_set_argument(parser)
    parser.add_argument("--seed", type=_seed, default=0, metavar="S",
                        help="experiment seed, as in run and compare (default 0)")
    parser.add_argument("--replication", type=_positive_int, default=1, metavar="I",
                        help="which replication of that seed to show, from 1 (default 1)")
    parser.add_argument("--days", type=_positive_float, default=2.0, metavar="D",
                        help="simulated days shown (default 2)")
    parser.add_argument("--interval-min", type=_positive_float, default=5.0, metavar="M",
                        help="simulated minutes between frames (default 5; longer when more than 600 frames)")
    add_output_argument(parser, "face.html")


@guarded
def handle(args: argparse.Namespace) -> int:
    """Simulate one replication and write its animation."""
    check_output(args.output)
    need_plotly("seamsim animate")
    scenario = load_for_command(args.file, args.overrides)
    import seamsim
    from seamsim.experiment.seeds import replication_seed
    from seamsim.report.face_motion import (
        FaceGeometry,
        face_frames,
        face_motion_figure,
        face_motion_html,
    )

    days = min(args.days, 3660.0)
    result = seamsim.simulate(scenario, replication_seed(args.seed, args.replication - 1), days)
    if not result.ok:
        print(f"seamsim animate: {scenario.name} cannot be worked: " + "; ".join(result.reasons))
        return 1
    geometry = FaceGeometry.from_scenario(scenario)
    frames = face_frames(result.trace, result.passes, geometry, duration_s=None, horizon_s=result.horizon_s,
                         interval_s=args.interval_min * 60.0)
    if not frames:
        raise UsageError("nothing to animate")
    title = f"The face in motion: {scenario.title or scenario.name}"
    html = face_motion_html(face_motion_figure(frames, geometry), title=title, notes={
        "scenario": scenario.name, "seed": f"{args.seed}, replication {args.replication}",
        "shown": f"{days:g} simulated days, {len(frames)} frames, one every "
                 f"{(frames[1].time_s - frames[0].time_s) / 60.0 if len(frames) > 1 else 0:.0f} min",
        "version": f"seamsim {seamsim.__version__}",
    })
    write_output(args.output, html)
    print(f"wrote {args.output} ({len(html.encode('utf-8')) / 1e6:.1f} MB): {len(frames)} frames over {days:g} days, "
          f"{result.summary['rom_t']:,.0f} t")
    return 0


COMMAND = Command("animate", "write the face in motion (an animated HTML file) of one replication", configure, handle)
