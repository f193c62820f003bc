#version 330 core
// Colours the density levels (0 for an empty bin, else 0.2 to 1 on a log scale: density_level in
// src/app/colormap.hpp) with the viridis-like colormap. The levels are sampled bilinearly, so the
// target, which has more pixels than there are bins, shows smooth gradients rather than blocks.

uniform sampler2D u_levels;  // R32F, row 0 = the lowest y bin
uniform float u_one_count;   // the level of a bin holding one point

in vec2 v_uv;
out vec4 frag_color;

// Same coefficients as src/app/colormap.cpp (degree-5 fit to viridis, rising powers of t).
vec3 colormap(float t) {
    const vec3 c0 = vec3(0.267563, 0.003675, 0.327483);
    const vec3 c1 = vec3(0.057560, 1.565220, 2.296441);
    const vec3 c2 = vec3(1.141844, -1.631080, -10.877426);
    const vec3 c3 = vec3(-12.211454, 1.986197, 27.396645);
    const vec3 c4 = vec3(22.362411, -0.936057, -32.921139);
    const vec3 c5 = vec3(-10.626124, -0.082373, 13.921046);
    t = clamp(t, 0.0, 1.0);
    return clamp(c0 + t * (c1 + t * (c2 + t * (c3 + t * (c4 + t * c5)))), 0.0, 1.0);
}

void main() {
    // Row 0 of the target holds the highest y, the order ImGui's default uvs (0,0)-(1,1) expect
    // of an image, so the cloud displays with y up.
    float level = texture(u_levels, vec2(v_uv.x, 1.0 - v_uv.y)).r;
    // Empty bins are transparent; edges next to them fade out instead of ending in a hard step,
    // and in the colour of a lone point, not in the darker colours below it.
    float alpha = clamp(level / max(u_one_count, 1e-6), 0.0, 1.0);
    frag_color = vec4(colormap(max(level, u_one_count)), alpha);
}
