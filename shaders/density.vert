#version 330 core
// One triangle that covers the viewport, made from gl_VertexID alone, so no vertex buffer is
// needed: vertices (-1,-1), (3,-1), (-1,3); the viewport clips it to the unit square.

out vec2 v_uv;

void main() {
    vec2 corner = vec2(float((gl_VertexID << 1) & 2), float(gl_VertexID & 2));
    v_uv = corner;
    gl_Position = vec4(corner * 2.0 - 1.0, 0.0, 1.0);
}
