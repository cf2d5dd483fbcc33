"""Screenshot tooling (offscreen or under Xvfb), not part of the running app.

- `screens`: every main screen to docs/screenshots/*.png (run by scripts/screenshots.py), with the 我的任务 shots
  of `desk` and the feature packages' own (app.ui.comments.shots, app.ui.compare.shots);
- `shot`: one shot of the window for review (`python -m app.ui.shots.shot OUT.png [QUERY]`);
- `wait`: process events until the window is ready.
"""
